import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { Card } from '@/components/ui';
import { ProgressOverview, ResultsList } from '@/features/progress';
import { FeedbackForm, useTutorPushes } from '@/features/tutor-dashboard';

export default function TutorStudentRoute() {
  const { t } = useTranslation();
  const student = decodeURIComponent(useParams().email ?? '');
  useTutorPushes();
  return (
    <div className="stack">
      <p><Link to="/tutor">← {t('tutor.back')}</Link></p>
      <h1>{t('tutor.studentTitle', { student })}</h1>
      <ProgressOverview student={student} />
      <div className="grid">
        <Card title={t('progress.results')} className="span-2"><ResultsList student={student} /></Card>
        <Card title={t('feedback.title')}><FeedbackForm student={student} /></Card>
      </div>
    </div>
  );
}
