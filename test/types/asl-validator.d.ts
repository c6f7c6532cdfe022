/** Typings for asl-validator 4 (the package ships none): `module.exports = function validator(definition, opts)`. */
declare module 'asl-validator' {
  export interface AslValidatorOptions {
    /** Check JSONPath expressions. An options object turns off every check it omits: pass both or none. */
    readonly checkPaths: boolean;
    /** Check that Task Resource values are ARNs (`${Placeholder}` is accepted). */
    readonly checkArn: boolean;
  }
  export interface AslValidationError {
    readonly 'Error code': string;
    readonly Message: string;
  }
  export interface AslValidationResult {
    readonly isValid: boolean;
    readonly errors: readonly AslValidationError[];
    errorsText(separator?: string): string;
  }
  function validator(definition: unknown, options?: AslValidatorOptions): AslValidationResult;
  export default validator;
}
