/** Seeded fake personal data per bank locale: faker for names, emails, phones and addresses; checksummed IBANs and national ids drawn locally. */
import { Faker, base, de, en, en_GB, es, fr, nl, type LocaleDefinition } from '@faker-js/faker';
import type { LocaleKey } from './bank-shapes.js';
import type { Sampler } from './sampling.js';

const LOCALES: Record<LocaleKey, LocaleDefinition> = { nl, de, en_GB, fr, es };

/** Regions (quasi-identifier) per locale, with a rough population weight. */
export const REGIONS: Record<LocaleKey, readonly string[]> = {
  nl: ['Noord-Holland', 'Zuid-Holland', 'Utrecht', 'Noord-Brabant', 'Gelderland', 'Overijssel', 'Limburg', 'Groningen', 'Friesland', 'Zeeland'],
  de: ['Bayern', 'Baden-Württemberg', 'Nordrhein-Westfalen', 'Hessen', 'Niedersachsen', 'Sachsen', 'Berlin', 'Hamburg', 'Thüringen', 'Brandenburg'],
  en_GB: ['London', 'South East', 'North West', 'West Midlands', 'Yorkshire', 'Scotland', 'Wales', 'South West', 'East of England', 'North East'],
  fr: ['Île-de-France', 'Auvergne-Rhône-Alpes', 'Occitanie', 'Nouvelle-Aquitaine', 'Hauts-de-France', 'Grand Est', 'Bretagne', 'Normandie', 'Provence-Alpes-Côte d\'Azur', 'Pays de la Loire'],
  es: ['Madrid', 'Cataluña', 'Andalucía', 'Comunidad Valenciana', 'Galicia', 'País Vasco', 'Castilla y León', 'Aragón', 'Murcia', 'Canarias'],
};

/** Country code and BBAN layout (`9` digit, `A` upper-case letter) of the IBANs each locale's banks issue. */
const IBAN_LAYOUT: Record<LocaleKey, readonly [string, string]> = {
  nl: ['NL', 'AAAA9999999999'],
  de: ['DE', '999999999999999999'],
  en_GB: ['GB', 'AAAA99999999999999'],
  fr: ['FR', '99999999999999999999999'],
  es: ['ES', '99999999999999999999'],
};

/** A person's identifying fields as a bank extract would carry them. */
export interface Person {
  readonly firstName: string;
  readonly lastName: string;
  readonly fullName: string;
  readonly email: string;
  readonly phone: string;
  readonly address: string;
  readonly postcode: string;
  readonly iban: string;
  readonly nationalId: string;
}

/**
 * Generates persons for one locale. Faker is seeded from the sampler, so one seed fixes every name;
 * the checksummed identifiers are drawn from the sampler directly because that is much cheaper.
 */
export class PiiGenerator {
  private readonly faker: Faker;

  constructor(
    readonly locale: LocaleKey,
    private readonly rng: Sampler,
  ) {
    this.faker = new Faker({ locale: [LOCALES[locale], en, base], seed: rng.int(2 ** 31) });
  }

  /** One fake person. */
  person(): Person {
    const firstName = this.faker.person.firstName();
    const lastName = this.faker.person.lastName();
    return {
      firstName,
      lastName,
      fullName: `${firstName} ${lastName}`,
      email: this.faker.internet.email({ firstName, lastName }),
      phone: this.faker.phone.number(),
      address: this.faker.location.streetAddress(),
      postcode: this.faker.location.zipCode(),
      iban: this.iban(),
      nationalId: this.nationalId(),
    };
  }

  /** A name only (cheap: transactions need names but not full identities). */
  name(): string {
    return `${this.faker.person.firstName()} ${this.faker.person.lastName()}`;
  }

  /** A postcode of this locale. */
  postcode(): string {
    return this.faker.location.zipCode();
  }

  /** An IBAN with a valid ISO 13616 mod-97 check. */
  iban(): string {
    const [country, layout] = IBAN_LAYOUT[this.locale];
    let bban = '';
    for (const ch of layout) bban += ch === '9' ? this.rng.chars('0123456789', 1) : this.rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 1);
    const check = 98 - mod97(toDigits(`${bban}${country}00`));
    return `${country}${String(check).padStart(2, '0')}${bban}`;
  }

  /** A national identifier in the locale's format (BSN, Steuer-ID, NI number, NIR, DNI). */
  nationalId(): string {
    const r = this.rng;
    switch (this.locale) {
      case 'nl': {
        // BSN: 9 digits passing the "elfproef" (weights 9..2, last −1).
        for (;;) {
          const d = Array.from({ length: 9 }, () => r.int(10));
          const sum = d.slice(0, 8).reduce((s, x, i) => s + x * (9 - i), 0) - d[8]!;
          if (d[0] !== 0 && sum % 11 === 0) return d.join('');
        }
      }
      case 'de':
        return `${1 + r.int(9)}${r.chars('0123456789', 10)}`;
      case 'en_GB':
        return `${r.chars('ABCEGHJKLMNPRSTWXYZ', 2)}${r.chars('0123456789', 6)}${r.chars('ABCD', 1)}`;
      case 'fr':
        return `${1 + r.int(2)}${r.chars('0123456789', 14)}`;
      case 'es': {
        const n = r.int(100_000_000);
        return `${String(n).padStart(8, '0')}${'TRWAGMYFPDXBNJZSQVHLCKE'[n % 23]}`;
      }
    }
  }
}

function toDigits(s: string): string {
  let out = '';
  for (const ch of s) out += ch >= 'A' && ch <= 'Z' ? String(ch.charCodeAt(0) - 55) : ch;
  return out;
}

function mod97(digits: string): number {
  let rem = 0;
  for (const ch of digits) rem = (rem * 10 + (ch.charCodeAt(0) - 48)) % 97;
  return rem;
}

/** True when `iban` passes the ISO 13616 mod-97 check (exported for tests). */
export function ibanValid(iban: string): boolean {
  return mod97(toDigits(`${iban.slice(4)}${iban.slice(0, 4)}`)) === 1;
}
