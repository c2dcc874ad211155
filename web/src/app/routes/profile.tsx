import { ProfileScreen } from '@/features/profile';

export default ProfileScreen;
