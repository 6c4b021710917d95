/** People in the demo: handles and names are built from these. */
export const FIRST_NAMES = ['Sam', 'Lee', 'Ana', 'Kofi', 'Mia', 'Jon', 'Ravi', 'Noor', 'Li', 'Tom', 'Eva', 'Omar', 'Zoe', 'Ben', 'Ines', 'Yuki', 'Raj', 'Ola', 'Max', 'Ida'];
export const LAST_NAMES = ['Rivera', 'Kowalski', 'Okafor', 'Schmidt', 'Moreau', 'Rossi', 'Silva', 'Tanaka', 'Haddad', 'Novak'];
export const HANDLE_TAILS = ['_rivera', '_k', '99', '_travels', '_dev', '_in_nyc', '.m', '_writes', '_22', '_official'];
/** Rivals named in leads when a brand has no configured competitors. */
export const GENERIC_COMPETITORS = ['Globex', 'Initech', 'Umbrella', 'Hooli', 'Vandelay'];
