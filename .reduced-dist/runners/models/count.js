const size = (shape) => shape.reduce((a, b) => a * b, 1);
/** Multiply-adds of one weighted layer for one image. */
function layerMultiplyAdds(layer) {
    const kernel = layer.weights.find((w) => w.shape.length >= 2);
    if (!kernel)
        throw new Error(`weighted layer ${layer.name} has no kernel`);
    const out = layer.outputShape;
    // Conv kernels are [kh, kw, in, out] and each output position costs their size;
    // a dense kernel is [in, out] and its output has no spatial positions.
    const positions = out.length === 4 ? out[1] * out[2] : 1;
    return positions * size(kernel.shape);
}
export function archFacts(built) {
    const { model, roles, spec } = built;
    let layers = 0;
    let multiplyAdds = 0;
    for (const [name, role] of roles) {
        if (role === 'main')
            layers++;
        multiplyAdds += layerMultiplyAdds(model.getLayer(name));
    }
    const count = (weights) => weights.reduce((n, w) => n + size(w.shape), 0);
    const perImage = (shape) => shape.slice(1);
    return {
        name: spec.name,
        dataset: spec.dataset,
        layers,
        trainableParams: count(model.trainableWeights),
        nonTrainableParams: count(model.nonTrainableWeights),
        multiplyAdds,
        inputShape: perImage(model.inputs[0].shape),
        outputShape: perImage(model.outputs[0].shape),
    };
}
//# sourceMappingURL=count.js.map