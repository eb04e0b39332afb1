/** Every suite, by name: the one registry the CLI and runners read. */
import architecture from './architecture.js';
import cifar10Depth from './cifar10-depth.js';
import cifar10Highway from './cifar10-highway.js';
import { depth as imagenetDepth, plainVsResidual as imagenetPlainVsResidual } from './imagenet.js';
import layerResponses from './layer-responses.js';
import skipLength from './skip-length.js';
export const SUITES = [architecture, cifar10Depth, cifar10Highway, imagenetPlainVsResidual, imagenetDepth, layerResponses, skipLength];
export function findSuite(name) {
    return SUITES.find((s) => s.name === name);
}
//# sourceMappingURL=index.js.map