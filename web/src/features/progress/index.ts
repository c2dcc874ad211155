import { lazy } from 'react';

export { DailyChart, ProgressOverview, TrendChart } from './components/charts';
export { WeakList } from './components/weak-list';
export { ResultsList } from './components/results-list';
export { dailyQuery, kstDay, latestFeedbackQuery, summaryQuery } from './api/progress';

/** The daily chart as its own chunk, for screens that should not wait for the chart library. */
export const LazyDailyChart = lazy(() => import('./components/charts').then((m) => ({ default: m.DailyChart })));
