import sodium from 'sodium-native';
import { decodeAmpArmor } from '../wire/amp-armor.ts';
import { CACHE_BREAKER_BYTES, encodeAmpPath } from '../wire/amp-path.ts';
import { HttpExchange } from './http-exchange.ts';
import type { RendezvousClientOptions } from './http-client.ts';
import { prepareRegistration, type RendezvousOffer, type RendezvousAnswer } from './prepare-registration.ts';

/**
 * A Snowflake client's rendezvous through an AMP cache (or straight at the registrar):
 * `GET <base>/amp/client/<path>` where the path carries the registration body (Snowflake's
 * `amp.EncodePath`, behind a fresh random cache breaker) and the response is the
 * ClientPollResponse inside AMP armor. Resolves and rejects as `HttpRendezvousClient`, plus
 * `RegistrationEncodingError` when the page is not valid armor.
 */
export class AmpRendezvousClient {
  private readonly http: HttpExchange;

  constructor(private readonly options: RendezvousClientOptions) {
    this.http = new HttpExchange(options);
  }

  async register(offer: RendezvousOffer): Promise<RendezvousAnswer> {
    const registration = prepareRegistration(offer, this.options.oracle, this.http.clock.now());
    const path = `amp/client/${encodeAmpPath(Buffer.from(registration.body, 'utf8'), cacheBreaker())}`;
    const url = new URL(path, this.http.baseUrl).href;
    const response = HttpExchange.expectOk(await this.http.request('GET', path), url);
    return registration.read(Buffer.from(decodeAmpArmor(response.text)).toString('utf8'));
  }

  close(): void {
    this.http.close();
  }
}

function cacheBreaker(): Uint8Array {
  const bytes = Buffer.alloc(CACHE_BREAKER_BYTES);
  sodium.randombytes_buf(bytes);
  return bytes;
}
