// When the UI asked the shell for the plan and got it (ms since the page began): reported
// with the tree's readiness (`ui_ready`, printed by the shell for scripts/bench-app.sh).
export const startupTiming = { asked: 0, answered: 0 };
