import { TutorDashboard } from '@/features/tutor-dashboard';

export default TutorDashboard;
