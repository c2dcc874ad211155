import { practice, presignedPost, unwrap } from './client';

/** A recording uploaded to the learner's own folder by presigned POST (practice's upload slot); the key is what
 * practice's evaluate and conversation's message take. */
export async function uploadRecording(take: { blob: Blob; contentType: string }): Promise<string> {
  const slot = await unwrap(practice().POST('/api/stt/upload-url', {
    body: { contentType: take.contentType, size: take.blob.size } }));
  await presignedPost(slot.upload, take.blob, `take.${take.contentType.split('/')[1]}`);
  return slot.audioKey;
}
