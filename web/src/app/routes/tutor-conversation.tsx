import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ChatScreen } from '@/features/conversation';
import { studentLabel, studentsQuery } from '@/features/tutor-dashboard';

export default function TutorConversationRoute() {
  const { t } = useTranslation();
  const params = useParams();
  const student = decodeURIComponent(params.email ?? '');
  const students = useQuery(studentsQuery());
  return (
    <div className="stack">
      <p><Link to={`/tutor/students/${encodeURIComponent(student)}`}>← {t('tutor.backToStudent')}</Link></p>
      <ChatScreen conversationId={decodeURIComponent(params.id ?? '')} readOnly studentName={studentLabel(student, students.data)} />
    </div>
  );
}
