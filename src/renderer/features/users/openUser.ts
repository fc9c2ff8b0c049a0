import { useNavigationStore } from '../../app/navigation';
import { toast } from '../../lib/toastStore';
import { useUserProductsPanelStore } from './userProductsPanelStore';
import { activeFilterCount } from './usersFormat';
import { useUsersStore } from './usersStore';

/**
 * Opens a user from another screen (a product's owner): the window goes to the Users screen and
 * that user's products panel opens. When the users list is not narrowed by a search or filter, it
 * also goes to the page with that user on it, marked, so closing the panel leaves them in view.
 */
export function openUser(userId: number): void {
  useNavigationStore.getState().go('users');
  void useUserProductsPanelStore.getState().openById(userId);
  const list = useUsersStore.getState();
  // A narrowed list may not hold them: its place is the admin's, left as it is.
  if (list.searchText.trim() === '' && activeFilterCount(list.filters) === 0) {
    void list.locate({ kind: 'id', id: userId }).then((error) => {
      // NOT_FOUND is said by openById (the user is gone); any other reason would be lost otherwise.
      if (error && error.code !== 'NOT_FOUND') toast(`Could not go to user #${userId} in the list: ${error.message}`, 'error');
    });
  }
}
