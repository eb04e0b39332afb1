/** The reporters, by name: each renders one comparison (console for logs, JUnit for CI systems, Markdown for summaries). */
import { consoleReporter } from './console.js';
import { junitReporter } from './junit.js';
import { markdownReporter } from './markdown.js';
export const REPORTERS = {
    console: consoleReporter,
    junit: junitReporter,
    markdown: markdownReporter,
};
//# sourceMappingURL=index.js.map