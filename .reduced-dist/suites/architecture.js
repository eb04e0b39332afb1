import { PAPER_MODELS } from '../runners/models/names.js';
import { defineSuite } from './define.js';
export default defineSuite({
    kind: 'architecture',
    name: 'architecture',
    version: 1,
    title: 'Architectures: depth, parameters and FLOPs of every network',
    paper: 'Table 1, Table 6',
    models: PAPER_MODELS,
    flopsTolerance: 0.03,
    equalParams: [
        ['plain18', 'resnet18-a'],
        ['plain34', 'resnet34-a'],
        ['plain20', 'resnet20'],
        ['plain56', 'resnet56'],
        ['plain110', 'resnet110'],
    ],
});
//# sourceMappingURL=architecture.js.map