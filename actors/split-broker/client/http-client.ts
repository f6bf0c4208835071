import type { OraclePublicKeys } from '../oracle/keys.ts';
import { HttpExchange, type HttpExchangeOptions } from './http-exchange.ts';
import { prepareRegistration, type RendezvousOffer, type RendezvousAnswer } from './prepare-registration.ts';

export interface RendezvousClientOptions extends HttpExchangeOptions {
  /** The Oracle's public keys: registrations are sealed (2.0) and answers verified. Absent: 1.0 plaintext. */
  oracle?: OraclePublicKeys;
}

/**
 * A Snowflake client's rendezvous over HTTP: `POST <base>/client` with the registration body;
 * resolves with the matched proxy's answer, or rejects with `RendezvousRefusedError` (the
 * broker's error string), `AnswerSignatureError` (2.0: not signed for this registration),
 * `SnowflakeMessageError` (an undecodable response) or `BrokerRequestError`.
 */
export class HttpRendezvousClient {
  private readonly http: HttpExchange;

  constructor(private readonly options: RendezvousClientOptions) {
    this.http = new HttpExchange(options);
  }

  async register(offer: RendezvousOffer): Promise<RendezvousAnswer> {
    const registration = prepareRegistration(offer, this.options.oracle, this.http.clock.now());
    const url = new URL('client', this.http.baseUrl).href;
    const response = HttpExchange.expectOk(await this.http.request('POST', 'client', registration.body), url);
    return registration.read(response.text);
  }

  close(): void {
    this.http.close();
  }
}
