import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { DlDoctorServer } from './server';

// The transport (--stdio, --node-ipc, --socket=N) comes from the command line the client used.
new DlDoctorServer(createConnection(ProposedFeatures.all)).listen();
