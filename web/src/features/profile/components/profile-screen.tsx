import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { Button, Card, ErrorNotice, Loading, TextArea, TextField } from '@/components/ui';
import { auth } from '@/lib/api/client';
import { DataExportCard } from './data-export-card';
import { deleteAccount, profileKey, profileQuery, updateProfile, uploadPhoto, type Profile } from '../api/profile';
import { DeleteAccount } from './delete-account';
import { TwoStepCard } from './two-step-card';

export function ProfileScreen() {
  const recovered = useSearchParams()[0].get('twoStep') === 'recovered'; // after a recovery-code sign-in
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const profile = useQuery(profileQuery());
  const [name, setName] = useState('');
  const [intro, setIntro] = useState('');
  useEffect(() => {
    if (profile.data) {
      setName(profile.data.name);
      setIntro(profile.data.intro);
    }
  }, [profile.data]);
  const saved = (p: Profile) => {
    queryClient.setQueryData(profileKey, p);
    auth().updateUser({ name: p.name });
  };
  const save = useMutation({ mutationFn: () => updateProfile({ name, intro }), onSuccess: saved });
  const photo = useMutation({ mutationFn: uploadPhoto, onSuccess: saved });
  if (profile.isPending) return <Loading />;
  if (profile.error) return <ErrorNotice error={profile.error} />;
  return (
    <div className="stack">
      <h1>{t('profile.title')}</h1>
      <Card title={t('profile.photo')}>
        <div className="row wrap">
          {profile.data.profileImageUrl
            ? <img className="avatar" src={profile.data.profileImageUrl} alt={t('profile.photoAlt')} width={96} height={96} />
            : <span className="avatar avatar-empty" aria-hidden="true">{profile.data.name.slice(0, 1)}</span>}
          <label className="btn btn-secondary file-button">
            {t('profile.choosePhoto')}
            <input type="file" accept="image/jpeg,image/png,image/webp" className="sr-only"
              onChange={(e) => { const f = e.target.files?.[0]; if (f) photo.mutate(f); }} />
          </label>
          {photo.isPending && <span role="status">{t('profile.uploading')}</span>}
        </div>
        <ErrorNotice error={photo.error} />
      </Card>
      <Card title={t('profile.details')}>
        <form className="stack" onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
          <TextField label={t('auth.email')} value={profile.data.email} readOnly />
          <TextField label={t('auth.name')} required maxLength={80} value={name} onChange={(e) => setName(e.target.value)} />
          <TextArea label={t('profile.intro')} rows={3} maxLength={1000} value={intro} onChange={(e) => setIntro(e.target.value)} />
          <ErrorNotice error={save.error} />
          <Button type="submit" busy={save.isPending}>{t('common.save')}</Button>
          {save.isSuccess && <p role="status" className="notice">{t('profile.saved')}</p>}
        </form>
      </Card>
      <TwoStepCard recovered={recovered} />
      <DataExportCard />
      <DeleteAccount onDelete={deleteAccount} />
    </div>
  );
}
