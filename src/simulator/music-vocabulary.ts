/**
 * Words that song titles and artist names are built from. A few carry accents, slashes, quotes and commas
 * on purpose, because the real catalog does and the escaping and quoting code must meet them. None of them
 * (or their combinations) is a number, a date or TRUE/FALSE, which Excel would have rewritten in the CSVs.
 */

export const TITLE_WORDS = [
  'Love', 'Night', 'Heart', 'Fire', 'Dream', 'Rain', 'Summer', 'Midnight', 'Blue', 'Golden', 'River', 'Highway',
  'Shadow', 'Light', 'Dancing', 'Falling', 'Broken', 'Wild', 'Electric', 'Silent', 'Sweet', 'Lonely', 'Burning',
  'Stars', 'Ocean', 'City', 'Home', 'Road', 'Time', 'Forever', 'Tonight', 'Yesterday', 'Paradise', 'Angel', 'Ghost',
  'Thunder', 'Velvet', 'Crystal', 'Diamond', 'Rose', 'Moon', 'Sun', 'Winter', 'Memory', 'Echo', 'Gravity', 'Honey',
  'Whiskey', 'Sugar', 'Revolution', 'Freedom', 'Kingdom', 'Island', 'Desert', 'Mountain', 'Train', 'Window', 'Mirror',
  'Letter', 'Promise', 'Secret', 'Stranger', 'Hero', 'Devil', 'Heaven', 'Soul', 'Groove', 'Rhythm', 'Boogie', 'Blues',
  'Café', 'Mañana', 'Corazón', 'Noël', 'Señorita', 'Déjà Vu', 'Über', 'Fiesta', 'Amor', 'Noche', 'Sehr', 'Kosmisch',
] as const;

export const TITLE_JOINERS = ['of the', 'in the', 'on the', 'and', 'for', 'with', 'from the', 'under the', 'like a', 'to'] as const;

export const TITLE_SUFFIXES = [
  ' (Album Version)', ' (Live)', ' (Remix)', ' (Radio Edit)', ' (Acoustic)', ' (Remastered)', ' (Extended Mix)',
  ' (LP Version)', ' (full-length/album version)', ' (Demo)',
] as const;

export const ARTIST_WORDS = [
  'Kings', 'Keys', 'Wolves', 'Lions', 'Machine', 'Brothers', 'Sisters', 'Band', 'Orchestra', 'Collective', 'Saints',
  'Rebels', 'Pilots', 'Drifters', 'Strangers', 'Lovers', 'Dreamers', 'Riders', 'Monks', 'Foxes', 'Arrows', 'Echoes',
  'Satellites', 'Horizons', 'Tigers', 'Ravens', 'Giants', 'Shadows', 'Vandals', 'Ramblers', 'Hearts', 'Sparks',
] as const;

export const ARTIST_ADJECTIVES = [
  'Black', 'Silver', 'Electric', 'Velvet', 'Crimson', 'Golden', 'Midnight', 'Neon', 'Paper', 'Glass', 'Iron',
  'Broken', 'Wild', 'Lonely', 'Arctic', 'Royal', 'Cosmic', 'Rusty', 'Sonic', 'Young', 'Tiny', 'Holy',
] as const;

export const ARTIST_FIRST_NAMES = [
  'Dwight', 'Bonnie', 'Johnny', 'Nina', 'Marvin', 'Etta', 'Chet', 'Aretha', 'Otis', 'Patsy', 'Fats', 'Ella', 'Miles',
  'Björn', 'Zoë', 'José', 'Amélie', 'Sven', 'Ingrid', 'Dmitri', 'Lars', 'Chloé', 'Rafael', 'Yuki', 'Kofi', 'Aditi',
] as const;

export const ARTIST_LAST_NAMES = [
  'Yoakam', 'Raitt', 'Cash', 'Simone', 'Gaye', 'James', 'Baker', 'Franklin', 'Redding', 'Cline', 'Domino',
  'Fitzgerald', 'Davis', 'Gilels', 'Müller', 'Núñez', 'Søndergaard', 'Reyes', 'Tanaka', 'Mensah', 'Rao', 'Lindqvist',
] as const;

/** Artist home towns as the Million Song Dataset spells them, with rough coordinates (jittered per artist). */
export const ARTIST_PLACES: readonly (readonly [string, number, number])[] = [
  ['Nashville, TN.', 36.16778, -86.77836], ['California - SF', 37.77916, -122.42005], ['New York, NY', 40.71455, -74.00712],
  ['Los Angeles, CA', 34.05349, -118.24532], ['Chicago, IL', 41.88415, -87.63241], ['London, England', 51.50632, -0.12714],
  ['Detroit, MI', 42.33168, -83.04792], ['Austin, TX', 30.26715, -97.74306], ['Seattle, WA', 47.60356, -122.32944],
  ['Kingston, Jamaica', 17.99702, -76.79358], ['Berlin, Germany', 52.51607, 13.37698], ['Paris, France', 48.85692, 2.34121],
  ['Stockholm, Sweden', 59.33217, 18.06243], ['Toronto, Ontario, Canada', 43.64856, -79.38533], ['Atlanta, GA', 33.74831, -84.39111],
  ['Memphis, TN', 35.14968, -90.04892], ['Dublin, Ireland', 53.34376, -6.24953], ['Rio de Janeiro, Brazil', -22.97673, -43.19508],
  ['Sydney, Australia', -33.86963, 151.20695], ['Zagreb Croatia', 45.80726, 15.96759], ['Düsseldorf', 51.22496, 6.77568],
  ['Gainesville, FL', 29.65163, -82.32483], ['Denmark', 56.27609, 9.51695], ['Manchester, England', 53.4796, -2.24881],
] as const;

/** Locations the MSD gives without coordinates: free text its geocoder did not resolve. */
export const ARTIST_VAGUE_PLACES = ['Ohio', 'Missouri', 'Bend, Oregon', 'South Jamaica, Queens', 'Austin TX', 'Torelló / Barcelona', 'Brooklyn'] as const;
