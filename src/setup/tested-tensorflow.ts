/** The TensorFlow the native setup recipe was built and tested with; pip's index source asks for it (and `setup --help` names it). */
export const TESTED_TENSORFLOW = '2.21.0';
