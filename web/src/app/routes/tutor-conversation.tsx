import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ChatScreen } from '@/features/conversation';

export default function TutorConversationRoute() {
  const { t } = useTranslation();
  const params = useParams();
  const student = decodeURIComponent(params.email ?? '');
  return (
    <div className="stack">
      <p><Link to={`/tutor/students/${encodeURIComponent(student)}`}>← {t('tutor.backToStudent')}</Link></p>
      <ChatScreen conversationId={decodeURIComponent(params.id ?? '')} readOnly />
    </div>
  );
}
