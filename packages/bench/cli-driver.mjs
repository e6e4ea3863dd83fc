// Runs one workload once against the installed package, the way a user's program would import it:
// the program that cli-record.mjs runs with plain `node` and under `ctjs record`.
//   node cli-driver.mjs <workload>
import { workloadByName } from "./workloads/index.mjs";

const workload = workloadByName(process.argv[2]);
const subject = await import(workload.subject.package);
const checksum = await workload.run(subject, workload.makeInput());
process.stdout.write(JSON.stringify({ checksum }) + "\n");
