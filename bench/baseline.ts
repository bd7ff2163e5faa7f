/** The bench's yardstick: a bare Fastify route answering a small JSON body to a POST. */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.post('/echo', async () => ({ status: 'success', reference_id: '3f8e2a9c-1d7b-4c55-9a0e-6b2f4d8c1e70' }));
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(`listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}\n`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
