export { DailyChart, ProgressOverview, TrendChart, WeakList } from './components/charts';
export { ResultsList } from './components/results-list';
export { kstDay, latestFeedbackQuery, summaryQuery } from './api/progress';
