import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { Card } from '@/components/ui';
import { ProgressOverview, ResultsList } from '@/features/progress';
import { ConversationList } from '@/features/conversation';
import { FeedbackForm, isChildHandle, studentLabel, studentsQuery, useTutorPushes } from '@/features/tutor-dashboard';

export default function TutorStudentRoute() {
  const { t } = useTranslation();
  const student = decodeURIComponent(useParams().email ?? '');
  useTutorPushes();
  const students = useQuery(studentsQuery()).data;
  const link = students?.students.find((s) => s.studentEmail === student);
  return (
    <div className="stack">
      <p><Link to="/tutor">← {t('tutor.back')}</Link></p>
      <h1>{t('tutor.studentTitle', { student: studentLabel(student, students) ?? '' })}</h1>
      {link && !isChildHandle(student) && <p className="muted">{student}</p>}
      <ProgressOverview student={student} />
      <div className="grid">
        <Card title={t('progress.results')} className="span-2"><ResultsList student={student} /></Card>
        <Card title={t('feedback.title')}><FeedbackForm student={student} /></Card>
        <Card title={t('conversation.past')} className="span-3">
          <ConversationList student={student}
            linkTo={(id) => `/tutor/students/${encodeURIComponent(student)}/conversations/${encodeURIComponent(id)}`} />
        </Card>
      </div>
    </div>
  );
}
