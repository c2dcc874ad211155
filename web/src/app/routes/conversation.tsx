import { ScenarioPicker } from '@/features/conversation';

export default ScenarioPicker;
