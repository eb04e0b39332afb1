/** The reporters, by name: each renders one comparison (console for logs, JUnit for CI systems, Markdown for summaries). */
import { consoleReporter } from './console.js';
import { junitReporter } from './junit.js';
import { markdownReporter } from './markdown.js';
import type { Reporter } from './reporter.js';

export const REPORTERS = {
  console: consoleReporter,
  junit: junitReporter,
  markdown: markdownReporter,
} as const satisfies Record<string, Reporter>;
