export { CaseQueue as CasesView } from './cases/CaseQueue';
export { CaseWorkspace as CaseDetail } from './cases/CaseWorkspace';
