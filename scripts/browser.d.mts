/** Types of scripts/browser.mjs (a plain module, so npm's pretest runs it without a build). */
export function findBrowser(env?: NodeJS.ProcessEnv): string | undefined;
export const HOW_TO_GET_ONE: string;
