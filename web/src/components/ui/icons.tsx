// Inline icons (no emoji: a machine without an emoji font shows boxes). Decorative: the button text names the action.
const base = { width: 20, height: 20, viewBox: '0 0 24 24', 'aria-hidden': true, focusable: false } as const;

export const MicIcon = () => (
  <svg {...base} fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
    <rect x="9" y="3" width="6" height="11" rx="3" /><path d="M5 11a7 7 0 0 0 14 0M12 18v3" />
  </svg>
);
export const StopIcon = () => <svg {...base} fill="currentColor"><rect x="6" y="6" width="12" height="12" rx="2" /></svg>;
export const PlayIcon = () => <svg {...base} fill="currentColor"><path d="M8 5v14l11-7z" /></svg>;
export const BellIcon = () => (
  <svg {...base} fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round">
    <path d="M6 16V11a6 6 0 0 1 12 0v5l2 2H4z" /><path d="M10 21h4" />
  </svg>
);
