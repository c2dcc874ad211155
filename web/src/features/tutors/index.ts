export { TutorsScreen, useMatchPushes } from './components/tutors-screen';
export { myTutorQuery } from './api/tutors';
