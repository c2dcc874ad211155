export { InboxList, NotificationBell } from './components/bell';
