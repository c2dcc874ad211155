import { createRoot } from 'react-dom/client';
import './styles.css';
import './lib/i18n';
import { loadConfig } from './lib/config';

const root = createRoot(document.getElementById('root')!);

loadConfig()
  .then(async () => {
    const { App } = await import('./app/app');
    root.render(<App />);
  })
  .catch((error: unknown) => {
    root.render(
      <main className="boot-error" role="alert">
        <h1>SpeakTracker</h1>
        <p>설정을 불러오지 못했습니다. / Could not load /config.json.</p>
        <pre>{String(error)}</pre>
      </main>,
    );
  });
