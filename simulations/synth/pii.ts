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

const DIGITS = '0123456789';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** Mail domains per locale for generated addresses. */
const MAIL_DOMAINS: Record<LocaleKey, readonly string[]> = {
  nl: ['gmail.com', 'ziggo.nl', 'kpnmail.nl', 'outlook.com', 'hotmail.nl'],
  de: ['gmail.com', 'web.de', 'gmx.de', 't-online.de', 'outlook.de'],
  en_GB: ['gmail.com', 'btinternet.com', 'outlook.com', 'yahoo.co.uk', 'sky.com'],
  fr: ['gmail.com', 'orange.fr', 'free.fr', 'laposte.net', 'hotmail.fr'],
  es: ['gmail.com', 'hotmail.es', 'yahoo.es', 'telefonica.net', 'outlook.es'],
};

/** Lower-case ASCII local part from a name (diacritics stripped). */
function mailPart(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

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
      email: this.email(firstName, lastName),
      phone: this.faker.phone.number(),
      address: this.faker.location.streetAddress(),
      postcode: this.faker.location.zipCode(),
      iban: this.iban(),
      nationalId: this.nationalId(),
    };
  }

  /** An email address built from the name: faker's own is the slowest field here (transliteration), so this is local. */
  email(firstName: string, lastName: string): string {
    const f = mailPart(firstName) || 'x';
    const l = mailPart(lastName) || 'y';
    const style = this.rng.int(4);
    const local = style === 0 ? `${f}.${l}` : style === 1 ? `${f[0]!}${l}` : style === 2 ? `${f}_${l}${this.rng.int(100)}` : `${l}.${f}${1950 + this.rng.int(60)}`;
    return `${local}@${this.rng.choice(MAIL_DOMAINS[this.locale])}`;
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
    for (const ch of layout) bban += ch === '9' ? DIGITS[this.rng.int(10)] : LETTERS[this.rng.int(26)];
    const check = 98 - mod97(toDigits(`${bban}${country}00`));
    return `${country}${String(check).padStart(2, '0')}${bban}`;
  }

  /** A national identifier in the locale's format (BSN, Steuer-ID, NI number, NIR, DNI). */
  nationalId(): string {
    const r = this.rng;
    switch (this.locale) {
      case 'nl': {
        // BSN: 9 digits passing the "elfproef" (weights 9..2, last −1): choose the last digit to satisfy it.
        for (;;) {
          let sum = 0;
          let text = String(1 + r.int(9));
          sum += Number(text) * 9;
          for (let w = 8; w >= 2; w--) {
            const d = r.int(10);
            sum += d * w;
            text += String(d);
          }
          const last = sum % 11;
          if (last < 10) return text + String(last);
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
