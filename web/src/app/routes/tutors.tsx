import { TutorsScreen } from '@/features/tutors';

export default TutorsScreen;
