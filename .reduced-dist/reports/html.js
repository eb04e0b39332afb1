/**
 * HTML with escaping by default: every value interpolated into `html`…``
 * is escaped unless it is already trusted markup (another `html` fragment,
 * or `trusted()` for SVG made by vega). Strings from results — model names,
 * branches, commit messages, paths — can only ever render as text.
 */
import escapeHtml from 'escape-html';
export class Markup {
    value;
    constructor(value) {
        this.value = value;
    }
    toString() {
        return this.value;
    }
}
/** Marks markup that our own code produced (e.g. vega's SVG) as safe to embed. */
export function trusted(markup) {
    return new Markup(markup);
}
function render(value) {
    if (value instanceof Markup)
        return value.value;
    if (Array.isArray(value))
        return value.map(render).join('');
    if (value === undefined || value === null || value === false)
        return '';
    return escapeHtml(String(value));
}
export function html(strings, ...values) {
    let out = strings[0];
    values.forEach((v, i) => {
        out += render(v) + strings[i + 1];
    });
    return new Markup(out);
}
//# sourceMappingURL=html.js.map