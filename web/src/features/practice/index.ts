export { PracticeScreen } from './components/practice-screen';
export { ScoreRing } from './components/result-view';
export { bandColour, scoreBand } from './score-colour';
