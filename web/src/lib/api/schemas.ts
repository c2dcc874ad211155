// The answer shapes of each service, by model name. A model whose validation and serialization schemas differ
// (an answer with defaults always present) is generated twice, as `Name-Input` and `Name-Output`; answers are
// the output side.
import type { components as Conversation } from './generated/conversation';
import type { components as Identity } from './generated/identity';
import type { components as Matching } from './generated/matching';
import type { components as Notifications } from './generated/notifications';
import type { components as Practice } from './generated/practice';

type Answer<S, N extends string> = `${N}-Output` extends keyof S ? S[`${N}-Output`] : N extends keyof S ? S[N] : never;

export type IdentityAnswer<N extends string> = Answer<Identity['schemas'], N>;
export type MatchingAnswer<N extends string> = Answer<Matching['schemas'], N>;
export type PracticeAnswer<N extends string> = Answer<Practice['schemas'], N>;
export type ConversationAnswer<N extends string> = Answer<Conversation['schemas'], N>;
export type NotificationsAnswer<N extends string> = Answer<Notifications['schemas'], N>;
