export { TutorDashboard, useTutorPushes } from './components/dashboard';
export { FeedbackForm } from './components/feedback-form';
export { studentsQuery } from './api/tutor';
