export { TutorDashboard, useTutorPushes } from './components/dashboard';
export { FeedbackForm } from './components/feedback-form';
export { isChildHandle, studentLabel, studentsQuery } from './api/tutor';
