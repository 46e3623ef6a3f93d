/**
 * What simulated listeners are made of. Metro-area names and user agents are the kinds the course sample
 * shows (US Census CBSA names; 2014-era browsers, which is what eventsim shipped with); first and last names
 * are common US names. Nothing here is read from the sample at runtime.
 */

export const FEMALE_NAMES = [
  'Adelyn', 'Aleena', 'Alivia', 'Amiya', 'Andrea', 'Ann', 'Ava', 'Avery', 'Ayla', 'Cecilia', 'Celeste', 'Chloe',
  'Cienna', 'Emily', 'Evelin', 'Gianna', 'Hannah', 'Harper', 'Jacqueline', 'Jordyn', 'Kate', 'Katherine', 'Kaylee',
  'Kinsley', 'Layla', 'Lily', 'Magdalene', 'Maia', 'Marina', 'Molly', 'Ryann', 'Sara', 'Sienna', 'Sylvie', 'Tegan',
  'Zoe', 'Madison', 'Olivia', 'Isabella', 'Mia', 'Abigail', 'Elena', 'Grace', 'Nora', 'Ruby', 'Stella', 'Violet',
] as const;

export const MALE_NAMES = [
  'Adler', 'Aiden', 'Austin', 'Braden', 'Brantley', 'Brayden', 'Bronson', 'Carlos', 'Christian', 'Colm', 'Connar',
  'Devin', 'Dominick', 'Dustin', 'Elijah', 'Isaac', 'Jacob', 'James', 'Jayden', 'Joseph', 'Kaleb', 'Kevin', 'Martin',
  'Matthew', 'Mohammad', 'Morris', 'Noah', 'Preston', 'Ryan', 'Rylan', 'Samuel', 'Sean', 'Theodore', 'Tucker',
  'Walter', 'Wyatt', 'Zachary', 'Liam', 'Lucas', 'Owen', 'Henry', 'Caleb', 'Nathan', 'Levi', 'Hunter', 'Miles',
] as const;

export const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez',
  'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez',
  'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen',
  'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall',
  'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts', 'Frye', 'Summers', 'Harrell', 'Levine', 'Klein', 'Griffin',
  'Hunt', 'Cruz', 'Reed', 'Cook', 'Morgan', 'Bell', 'Murphy', 'Bailey', 'Cooper', 'Richardson', 'Cox', 'Howard',
] as const;

export const USER_LOCATIONS = [
  'New York-Newark-Jersey City, NY-NJ-PA', 'Los Angeles-Long Beach-Anaheim, CA', 'Chicago-Naperville-Elgin, IL-IN-WI',
  'Dallas-Fort Worth-Arlington, TX', 'Houston-The Woodlands-Sugar Land, TX', 'Washington-Arlington-Alexandria, DC-VA-MD-WV',
  'Philadelphia-Camden-Wilmington, PA-NJ-DE-MD', 'Miami-Fort Lauderdale-West Palm Beach, FL', 'Atlanta-Sandy Springs-Roswell, GA',
  'Boston-Cambridge-Newton, MA-NH', 'San Francisco-Oakland-Hayward, CA', 'Phoenix-Mesa-Scottsdale, AZ',
  'Riverside-San Bernardino-Ontario, CA', 'Detroit-Warren-Dearborn, MI', 'Seattle-Tacoma-Bellevue, WA',
  'Minneapolis-St. Paul-Bloomington, MN-WI', 'San Diego-Carlsbad, CA', 'Tampa-St. Petersburg-Clearwater, FL',
  'Denver-Aurora-Lakewood, CO', 'St. Louis, MO-IL', 'Baltimore-Columbia-Towson, MD', 'Charlotte-Concord-Gastonia, NC-SC',
  'Portland-Vancouver-Hillsboro, OR-WA', 'San Antonio-New Braunfels, TX', 'Sacramento--Roseville--Arden-Arcade, CA',
  'San Jose-Sunnyvale-Santa Clara, CA', 'Indianapolis-Carmel-Anderson, IN', 'Salt Lake City, UT', 'Columbia, SC',
  'New Orleans-Metairie, LA', 'Birmingham-Hoover, AL', 'Lansing-East Lansing, MI', 'Salinas, CA', 'Lubbock, TX',
  'Harrisburg-Carlisle, PA', 'Cedar Rapids, IA', 'Eugene, OR', 'Winston-Salem, NC', 'Santa Rosa, CA', 'Red Bluff, CA',
  'Augusta-Richmond County, GA-SC', 'Youngstown-Warren-Boardman, OH-PA', 'Lake Havasu City-Kingman, AZ', 'Klamath Falls, OR',
] as const;

/** Raw user agents. eventsim stored those containing a comma wrapped in double quotes, and the quotes are part of the value. */
export const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 6.1; WOW64; rv:31.0) Gecko/20100101 Firefox/31.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.77.4 (KHTML, like Gecko) Version/7.0.5 Safari/537.77.4',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.78.2 (KHTML, like Gecko) Version/7.0.6 Safari/537.78.2',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36',
  'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.125 Safari/537.36',
  'Mozilla/5.0 (Windows NT 6.3; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.9; rv:31.0) Gecko/20100101 Firefox/31.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 7_1_2 like Mac OS X) AppleWebKit/537.51.2 (KHTML, like Gecko) Version/7.0 Mobile/11D257 Safari/9537.53',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Ubuntu Chromium/36.0.1985.125 Chrome/36.0.1985.125 Safari/537.36',
  'Mozilla/5.0 (Windows NT 5.1; rv:31.0) Gecko/20100101 Firefox/31.0',
  'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/37.0.2062.102 Safari/537.36',
  'Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; WOW64; Trident/6.0)',
  'Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10) AppleWebKit/538.46 (KHTML, like Gecko) Version/8.0 Safari/538.46',
] as const;
