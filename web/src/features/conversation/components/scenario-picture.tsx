import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { scenarioImageQuery } from '../api/conversation';

/** The scenario's picture in a 16:9 frame reserved before it arrives, so the card does not jump; nothing but the
 * frame's tint if it cannot be had (the picture only decorates: the title and situation are in the text). */
export function ScenarioPicture({ scenarioId, className }: { scenarioId: string; className?: string }) {
  const { i18n } = useTranslation();
  const image = useQuery(scenarioImageQuery(scenarioId));
  const alt = image.data ? (i18n.language === 'en' ? image.data.alt.en : image.data.alt.ko) : '';
  return (
    <div className={`scenario-picture ${className ?? ''}`} data-testid="scenario-picture" aria-busy={image.isPending}>
      {image.data && (
        <img src={image.data.url} alt={alt} width={image.data.width} height={image.data.height} loading="lazy"
          decoding="async" />
      )}
    </div>
  );
}
