/** Loaded before every test file (package.json, ava.require): tfjs's banner and warnings stay out of test output, as on the command line. */
import * as tf from '@tensorflow/tfjs';

if (!process.env.RESNET_REPRO_VERBOSE) tf.env().set('PROD', true);
