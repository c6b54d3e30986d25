#!/usr/bin/env node
'use strict';
// The floor ctrx's start-up is measured against: one unary call to containerd
// with @grpc/grpc-js and nothing else (no argument parsing, no generated code,
// the reply printed raw). Usage: min-call.js SOCKET /pkg.Service/Method
const grpc = require('@grpc/grpc-js');

const [sock, method] = process.argv.slice(2);
const client = new grpc.Client(`unix://${sock}`, grpc.credentials.createInsecure());
const md = new grpc.Metadata();
md.set('containerd-namespace', 'default');
client.makeUnaryRequest(method, () => Buffer.alloc(0), (b) => b, {}, md, (err, reply) => {
  if (err) {
    console.error(err.message);
    process.exitCode = 1;
  } else {
    process.stdout.write(reply.toString('latin1') + '\n');
  }
  client.close();
});
