/**
 * Errors a user can fix by typing something else. The CLI prints the message
 * and exits 2; anything else is a bug or an environment failure.
 */
export class UsageError extends Error {
    name = 'UsageError';
}
/** Input data that is missing, corrupt or inconsistent: also exit 2, with the file named. */
export class InputError extends Error {
    name = 'InputError';
}
//# sourceMappingURL=errors.js.map