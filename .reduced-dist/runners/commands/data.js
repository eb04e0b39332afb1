/** `resnet-repro data cifar10`: the official CIFAR-10 binary archive, checked and extracted. */
import { downloadCifar10 } from '../data/download.js';
import { downloadProgress } from './progress.js';
import { dataDirectory } from './train.js';
export const register = (program) => {
    const data = program.command('data').description('get datasets');
    data
        .command('cifar10')
        .description('download the official CIFAR-10 binary archive, check its published MD5 and extract it (idempotent)')
        .option('--dir <dir>', 'where to put the files (default: $RESNET_REPRO_DATA, else ~/.cache/resnet-repro/data/cifar10)')
        .option('--archive <file>', 'install from cifar-10-binary.tar.gz already on disk (offline machines)')
        .option('--url <url>', 'a mirror of the official archive (the published MD5 is still required)')
        .action(async (options) => {
        const dir = dataDirectory(options.dir, 'cifar10');
        const progress = downloadProgress();
        try {
            await downloadCifar10({
                dir,
                ...(options.archive ? { archive: options.archive } : {}),
                ...(options.url ? { url: options.url } : {}),
                onProgress: progress.update,
                log: (line) => process.stderr.write(`${line}\n`),
            });
        }
        finally {
            progress.stop();
        }
        process.stdout.write(`${dir}\n`);
    });
};
//# sourceMappingURL=data.js.map