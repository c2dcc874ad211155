import { queryOptions } from '@tanstack/react-query';
import { auth, identity, presignedPost, unwrap } from '@/lib/api/client';
import type { IdentityAnswer } from '@/lib/api/schemas';

export type Profile = IdentityAnswer<'ProfileAnswer'>;
export const profileKey = ['profile', 'me'] as const;

export const profileQuery = () => queryOptions({
  queryKey: profileKey,
  queryFn: () => unwrap(identity().GET('/api/users/me')),
});

export async function updateProfile(body: { name?: string; intro?: string }) {
  return unwrap(identity().PATCH('/api/users/me', { body }));
}

/** Presigned upload of the photo, then point the profile at it. */
export async function uploadPhoto(file: File): Promise<Profile> {
  const slot = await unwrap(identity().POST('/api/users/me/profile-image/upload',
    { body: { contentType: file.type, size: file.size } }));
  await presignedPost(slot.upload, file, file.name);
  return unwrap(identity().PUT('/api/users/me/profile-image', { body: { key: slot.key } }));
}

/** Deletes the account everywhere (the password again), then ends the session on this device. */
export async function deleteAccount(password: string): Promise<void> {
  await unwrap(identity().DELETE('/api/users/me', { body: { password } }));
  auth().signOut();
}
