/** Renders a vega-lite spec to SVG in Node with vega's headless view (no canvas, no browser). */
import * as vega from 'vega';
import * as vl from 'vega-lite';
export async function renderSvg(spec) {
    const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
    try {
        return await view.toSVG();
    }
    finally {
        view.finalize();
    }
}
//# sourceMappingURL=svg.js.map