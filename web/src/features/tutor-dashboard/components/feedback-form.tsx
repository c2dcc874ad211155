import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Empty, ErrorNotice, Select, TextArea } from '@/components/ui';
import { sendFeedback, sentFeedbackQuery, type FeedbackPage, type MessageType } from '../api/tutor';

const TYPES: MessageType[] = ['text', 'praise', 'correction', 'assignment'];

export function FeedbackForm({ student }: { student: string }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [message, setMessage] = useState('');
  const [messageType, setType] = useState<MessageType>('praise');
  const sent = useQuery(sentFeedbackQuery(student));
  const send = useMutation({
    mutationFn: () => sendFeedback({ studentEmail: student, message, messageType }),
    onSuccess: (answer) => {
      queryClient.setQueryData<FeedbackPage>(sentFeedbackQuery(student).queryKey, (page) => page && {
        ...page, feedback: [answer.feedback, ...page.feedback] });
      setMessage('');
    },
  });
  return (
    <div className="stack">
      <form className="stack" onSubmit={(e) => { e.preventDefault(); send.mutate(); }}>
        <Select label={t('feedback.type')} value={messageType} onChange={(e) => setType(e.target.value as MessageType)}>
          {TYPES.map((k) => <option key={k} value={k}>{t(`feedback.types.${k}`)}</option>)}
        </Select>
        <TextArea label={t('feedback.message')} required rows={3} maxLength={2000} value={message}
          onChange={(e) => setMessage(e.target.value)} />
        <ErrorNotice error={send.error} />
        <Button type="submit" busy={send.isPending} disabled={!message.trim()}>{t('feedback.send')}</Button>
        {send.isSuccess && <p role="status" className="notice">{t('feedback.sent')}</p>}
      </form>
      {sent.data && (sent.data.feedback.length === 0 ? <Empty>{t('feedback.none')}</Empty> : (
        <ul className="feedback-list">
          {sent.data.feedback.map((f) => (
            <li key={f.feedbackId}><span className="pill">{t(`feedback.types.${f.messageType}`)}</span> {f.message}
              <time dateTime={f.timestamp}>{new Date(f.timestamp).toLocaleString(i18n.language)}</time></li>
          ))}
        </ul>
      ))}
    </div>
  );
}
