import { PracticeScreen } from '@/features/practice';

export default PracticeScreen;
