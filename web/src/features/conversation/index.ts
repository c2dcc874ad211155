export { ChatScreen, ConversationList, ScenarioPicker } from './components/conversation-screens';
