// jstat ships no types; this declares the functions we use.
declare module 'jstat' {
  const jstat: {
    jStat: {
      studentt: { cdf(x: number, dof: number): number; inv(p: number, dof: number): number };
      normal: { inv(p: number, mean: number, std: number): number };
      binomial: { cdf(k: number, n: number, p: number): number };
    };
  };
  export default jstat;
}
