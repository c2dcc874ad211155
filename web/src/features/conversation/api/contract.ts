// The conversation service's answers as its routes declare them (issue #10; its pydantic models in
// services/conversation/chalicelib/routes.py on the conversation branch). Until docs/api/conversation.json
// carries these routes this file stands in for the generated types; once it does, each alias below becomes
// ConversationAnswer<'Name'> from '@/lib/api/schemas' and the client becomes an openapi-fetch client.
export type Text = { ko: string; en: string };
export type Level = 'beginner' | 'intermediate' | 'advanced';

export type Scenario = {
  scenarioId: string; topic: string; title: Text; aiRole: Text; learnerRole: Text; situation: Text;
  levels: Level[]; levelsKo: string[]; goals: { goalId: string; en: string; ko: string }[]; successCondition: Text;
};
export type Started = {
  conversationId: string; firstMessage: string; firstMessageKo: string; audioJobId: string; audioUrl: string | null;
  scenario: Scenario; level: string; turnLimit: number;
};
export type Sent = { requestId: string; conversationId: string; status: 'PROCESSING'; estimatedTime: number };
export type Correction = { original: string; corrected: string; explanationKo: string };
export type TurnFeedback = {
  status: 'READY' | 'UNAVAILABLE'; corrections: Correction[]; betterPhrasing: string | null; newWords: string[];
  pronunciation?: { overallScore: number; accuracyScore: number; fluencyScore: number;
    words: { word: string; score: number; errorType: string }[]; weakestSounds: { phoneme: string; ipa: string; score: number }[] } | null;
};
export type ReplyStatus = {
  requestId: string; conversationId: string; status: 'PROCESSING' | 'COMPLETED' | 'FAILED'; heardText?: string | null;
  aiMessage?: string | null; aiMessageKo?: string | null; audioJobId?: string | null; audioUrl?: string | null;
  turnCount: number; turnsLeft: number; conversationStatus: 'ACTIVE' | 'ENDED'; feedback?: TurnFeedback | null;
  reason?: string | null; reasonCode?: string | null;
};
export type Turn = {
  index: number; heardText: string; typedText: string; userAudioUrl: string | null; aiMessage: string;
  aiMessageKo: string; aiAudioUrl: string | null; feedback: TurnFeedback | null; createdAt: string;
};
export type Report = {
  turns: number; endedBy: 'student' | 'turn_limit';
  scores: { accuracy: number | null; fluency: number | null; grammar: number | null; vocabulary: number | null; overall: number | null };
  rewrittenSentences: { turn: number; original: string; better: string; explanationKo: string }[];
  newWords: string[]; goals: { goalId: string; en: string; ko: string; met: boolean }[]; success: boolean;
  successCondition: Text; nextFocus: { area: string; ko: string; en: string };
  cefr: { band: string; isEstimate: true; note: string };
};
export type Transcript = {
  conversationId: string; studentEmail: string; scenario: Scenario; level: string; status: 'ACTIVE' | 'ENDED';
  turnCount: number; turnLimit: number; startedAt: string; endedAt: string | null; turns: Turn[]; report: Report | null;
};
export type Summary = {
  conversationId: string; scenarioId: string; title: Text; level: string; status: 'ACTIVE' | 'ENDED';
  turnCount: number; turnLimit: number; startedAt: string; lastMessage: string;
};
export type Hint = { conversationId: string; suggestion: string; suggestionKo: string };
export type Ended = { conversationId: string; status: 'ENDED'; endedAt: string; report: Report };
