import { useParams } from 'react-router-dom';
import { ChatScreen } from '@/features/conversation';

export default function ConversationChatRoute() {
  const id = decodeURIComponent(useParams().id ?? '');
  return <ChatScreen key={id} conversationId={id} />;
}
