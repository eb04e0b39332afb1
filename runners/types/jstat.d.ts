// jstat ships no types; this declares the one function we use.
declare module 'jstat' {
  export const jStat: { studentt: { cdf(x: number, dof: number): number } };
}
