// The generator's SQL on its own, with no imports: the integration tests, the e2e tests (whose
// runner cannot load vitest or the app's modules) and npm run bench all build the same rows.
/** The size the issue asks the screens to feel instant at. */
export const BIG_USERS = 1_000_000;
export const BIG_PRODUCTS = 200_000;

/** A list written as comma-separated text (a few hundred short words read better as text than one per line). */
const words = (text: string) =>
  text
    .split(',')
    .map((word) => word.trim())
    .filter(Boolean);

const FIRST_NAMES = words(`
  Ada, Adam, Aiko, Alice, Amara, Amelia, Ana, Andrés, Anna, Arjun, Astrid, Ben, Bianca, Björn, Carla, Carlos, Chen, Chloé,
  Chris, Daniel, David, Diego, Dmitri, Elena, Eli, Emma, Émile, Erik, Eva, Farah, Fatima, Felix, Finn, Grace, Hana, Hannah,
  Hugo, Ines, Isaac, Ivan, Jack, James, Jan, Jana, Javier, Jin, João, John, Jonas, Julia, Kai, Kenji, Kofi, Lara, Laura,
  Leo, Liam, Lina, Lucas, Lucía, Łukasz, Maja, Marco, Maria, Mateo, Mei, Mia, Mohammed, Nadia, Nina, Noah, Nora, Olga,
  Omar, Oscar, Paul, Pedro, Priya, Rafael, Rania, Ravi, Rosa, Ruth, Sam, Sara, Sofia, Søren, Tariq, Thomas, Tom, Uma,
  Victor, Wei, Yara, Yusuf, Zoë
`);
const LAST_NAMES = words(`
  Abe, Adams, Ahmed, Ali, Alvarez, Andersen, Bauer, Becker, Brown, Castro, Chen, Clark, Costa, Cruz, Davis, Diaz, Dubois,
  Evans, Fernández, Fischer, Garcia, Gomez, González, Green, Gupta, Hall, Hansen, Hernández, Hoffmann, Ito, Jansen,
  Johnson, Jones, Kim, King, Kowalski, Kumar, Lee, Lewis, Li, Lin, López, Martin, Martínez, Meyer, Miller, Moore, Morales,
  Müller, Nakamura, Nguyen, Nielsen, Nowak, O’Brien, Okafor, Olsen, Park, Patel, Perez, Petrov, Quinn, Ramos, Reyes,
  Richter, Rossi, Russo, Sato, Schmidt, Schneider, Scott, Silva, Singh, Smith, Suzuki, Tanaka, Taylor, Thomas, Torres,
  Van Dijk, Wagner, Walker, Wang, Weber, White, Wilson, Wong, Wright, Yamamoto, Young, Zhang, Zimmermann
`);
// Repeated entries weight the draw: most users sit at a few big providers, the rest spread thin.
const DOMAINS = words(`
  example.com, example.com, example.com, example.com, example.com, example.com, mail.example.org, mail.example.org,
  mail.example.org, inbox.test, inbox.test, corp.example.net, uni.example.edu, shop.test, web.example, post.example.de,
  correo.example.es, courriel.example.fr, posta.example.it, example.co.uk
`);
const ADJECTIVES = words(`
  Ancient, Blue, Bold, Brass, Bright, Classic, Compact, Copper, Cosy, Crimson, Deluxe, Electric, Elegant, Fast, Gentle,
  Golden, Grand, Green, Handmade, Heavy, Iron, Little, Lucky, Modern, Mighty, Noble, Old, Quiet, Rapid, Royal, Rustic,
  Silent, Silver, Small, Smart, Soft, Solar, Steel, Swift, Tiny, Velvet, Vintage, Wild, Wooden
`);
const NOUNS = words(`
  Anchor, Bag, Basket, Bench, Bicycle, Blender, Book, Bottle, Bowl, Box, Brush, Bucket, Camera, Candle, Chair, Clock,
  Compass, Cup, Desk, Drum, Fan, Glove, Hammer, Hat, Helmet, Jacket, Jar, Kettle, Key, Knife, Lamp, Lantern, Mirror, Mug,
  Notebook, Pen, Pillow, Plate, Radio, Rope, Scarf, Shelf, Shoe, Speaker, Spoon, Table, Teapot, Tent, Torch, Umbrella,
  Vase, Wallet, Watch, Whistle
`);

const sqlArray = (values: readonly string[]) => `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}]::text[]`;

// Accented letters as their plain ones, for the email's local part.
const ACCENTED = 'ÁÉÍÓÚÀÈÖÜØÅÄËÏÇÑŁáéíóúàèöüøåäëïçñłß’ ';
const PLAIN = 'AEIOUAEOUOAAEICNLaeiouaeouoaaeicnls';

/**
 * The statements that fill an empty, migrated-up-to-tables database with `users` users and
 * `products` products: realistic-ish and reproducible (every choice is a hash of the row number,
 * so two runs give the same rows). Names repeat (about 9,000 distinct first + last pairs, half with
 * a middle initial), emails spread over a few domains (half at example.com), creation times span
 * five years in id order with a few days of jitter and one batch of 1 in 1,000 users imported at
 * the same instant (ties for the created_at order); 1 product in 100 has no name, about a quarter
 * have no owner, and users 1–100 own about a hundred each (the "power users"). Exported for `npm run bench`.
 */
export function bigDataStatements(users = BIG_USERS, products = BIG_PRODUCTS): string[] {
  // hashint4 spreads row numbers over int4; + 2^31 makes them non-negative for `%`.
  const h = (salt: number) => `(hashint4(g + ${salt})::bigint + 2147483648)`;
  return [
    `INSERT INTO users (email, name, created_at)
     SELECT lower(translate(
              CASE r.pick % 4
                WHEN 0 THEN r.first || '.' || r.last
                WHEN 1 THEN r.first || '_' || r.last
                WHEN 2 THEN left(r.first, 1) || r.last
                ELSE r.last || '.' || r.first
              END, '${ACCENTED}', '${PLAIN}')) || g || '@' || r.domain,
            CASE WHEN r.pick % 2 = 0 THEN r.first || ' ' || chr(65 + (r.pick / 7 % 26)::int) || '. ' || r.last ELSE r.first || ' ' || r.last END,
            CASE WHEN g % 1000 = 0 THEN timestamp '2023-06-01 09:00:00'
                 ELSE timestamp '2021-01-01 00:00:00' + (g::float8 / ${users}) * interval '5 years'
                      + ((r.pick % 518400) - 259200) * interval '1 second' + (r.pick % 1000000) * interval '1 microsecond'
            END
       FROM generate_series(1, ${users}) AS g,
            LATERAL (SELECT (${sqlArray(FIRST_NAMES)})[1 + ${h(0)} % ${FIRST_NAMES.length}] AS first,
                            (${sqlArray(LAST_NAMES)})[1 + ${h(1_000_003)} % ${LAST_NAMES.length}] AS last,
                            (${sqlArray(DOMAINS)})[1 + ${h(2_000_003)} % ${DOMAINS.length}] AS domain,
                            ${h(3_000_017)} AS pick) AS r`,
    `INSERT INTO products (name, owner_id)
     SELECT CASE WHEN r.pick % 100 = 0 THEN NULL
                 ELSE (${sqlArray(ADJECTIVES)})[1 + r.pick % ${ADJECTIVES.length}] || ' ' || (${sqlArray(NOUNS)})[1 + r.pick / 101 % ${NOUNS.length}]
                      || CASE WHEN r.pick % 3 = 0 THEN ' ' || (r.pick / 7 % 1000) ELSE '' END
            END,
            CASE WHEN r.owner % 4 = 0 THEN NULL
                 WHEN r.owner % 20 = 1 THEN 1 + (r.owner / 20) % 100
                 ELSE 1 + (r.owner / 4) % ${users}
            END
       FROM generate_series(1, ${products}) AS g,
            LATERAL (SELECT ${h(4_000_037)} AS pick, ${h(5_000_011)} AS owner) AS r`,
  ];
}
